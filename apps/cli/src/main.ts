import { Command, Option } from 'commander';

import { ConfigError } from '@parley/config';
import { NluError } from '@parley/nlu';

import { checkAssistant, configuredAssistantDir } from './commands/assistant.command';
import { chat, defaultChatUser } from './commands/chat.command';
import {
  evalConversations,
  parseJudgeScore,
  type EvalCommandOptions,
} from './commands/eval.command';
import { migrate, newMigration } from './commands/db.command';
import { evalInjection, type EvalInjectionOptions } from './commands/guard.command';
import { ingest } from './commands/kb.command';
import { nluEval, parseThreshold } from './commands/nlu.command';
import { evalPii, keygen } from './commands/pii.command';
import { loadCliConfig, type CliConfig } from './config';

function config(): CliConfig {
  try {
    return loadCliConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

const program = new Command('parley').description('Parley: chat, knowledge and database tools');

program
  .command('chat')
  .description('chat with the assistant through the web API')
  .option('--url <url>', 'web API base URL (default: PARLEY_URL)')
  .option('--user <id>', 'your user id (default: a new one)')
  .action(async (opts: { url?: string; user?: string }) => {
    await chat({ url: opts.url ?? config().PARLEY_URL, user: opts.user ?? defaultChatUser() });
  });

program
  .command('eval <dir>')
  .description('play conversation tests (YAML) against the running suite and report')
  .option('--url <url>', 'web API base URL (default: PARLEY_URL)')
  .option(
    '--admin-token <token>',
    'admin API token, for intent/slot/escalation checks (default: PARLEY_ADMIN_TOKEN)',
  )
  .option(
    '--identity-secret <secret>',
    "the web service's WEB_IDENTITY_SECRET, to play verified customers (default: WEB_IDENTITY_SECRET)",
  )
  .addOption(
    new Option(
      '--engine <engine>',
      'what the suite answers with (LLM_CHAIN); llm: on turns a model answered, intent, slot and quick-reply expectations are skipped',
    )
      .choices(['builtin', 'llm'])
      .default('builtin'),
  )
  .option(
    '--judge <provider:model>',
    'score every reply 1-5 with a model (e.g. openai:gpt-4o; OPENAI_BASE_URL, OPENAI_API_KEY)',
  )
  .option(
    '--min-judge-score <n>',
    "exit 1 when a conversation's average judge score is below n (1-5)",
    parseJudgeScore,
  )
  .option('--json', 'one JSON object', false)
  .action(async (dir: string, opts: EvalCommandOptions) => {
    const cfg = config();
    const adminToken = opts.adminToken ?? cfg.PARLEY_ADMIN_TOKEN;
    const identitySecret = opts.identitySecret ?? cfg.WEB_IDENTITY_SECRET;
    process.exitCode = await evalConversations(dir, cfg, {
      url: opts.url ?? cfg.PARLEY_URL,
      json: opts.json,
      engine: opts.engine,
      ...(adminToken ? { adminToken } : {}),
      ...(identitySecret ? { identitySecret } : {}),
      ...(opts.judge ? { judge: opts.judge } : {}),
      ...(opts.minJudgeScore !== undefined ? { minJudgeScore: opts.minJudgeScore } : {}),
    });
  });

const kb = program.command('kb').description('knowledge base');
kb.command('ingest <dir>')
  .description('ingest Markdown, HTML and text files; re-ingest replaces changed documents')
  .option('--assistant <id>', 'assistant id (default: PARLEY_ASSISTANT_ID)')
  .option(
    '--language <config>',
    'Postgres text search configuration for every document (default: detected per document)',
  )
  .option('--prune', 'remove documents no longer in the folder', false)
  .option('--no-progress', 'no progress bar')
  .action(
    async (
      dir: string,
      opts: { assistant?: string; language?: string; prune: boolean; progress: boolean },
    ) => {
      const cfg = config();
      await ingest(cfg, dir, { ...opts, assistant: opts.assistant ?? cfg.PARLEY_ASSISTANT_ID });
    },
  );

const assistant = program.command('assistant').description('assistant folders');
assistant
  .command('check [dir]')
  .description('validate an assistant folder (default: PARLEY_ASSISTANT_DIR, else assistants/demo)')
  .action(async (dir?: string) => {
    process.exitCode = await checkAssistant(dir ?? configuredAssistantDir());
  });

const nlu = program.command('nlu').description('intent classification');
nlu
  .command('eval')
  .description('train on one {"text","intent"} JSONL file and score the classifier on another')
  .requiredOption('--train <jsonl>', 'training examples; rows with intent "oos" are out of scope')
  .requiredOption('--test <jsonl>', 'test examples')
  .option(
    '--threshold <n>',
    'out-of-scope threshold (default: calibrated on --train)',
    parseThreshold,
  )
  .option('--json', 'print one JSON object with the metrics', false)
  .action((opts: { train: string; test: string; threshold?: number; json: boolean }) => {
    try {
      nluEval(opts);
    } catch (error) {
      if (error instanceof NluError) {
        console.error(error.message);
        process.exit(2);
      }
      throw error;
    }
  });

const db = program.command('db').description('database');
db.command('migrate')
  .description('create the database if missing and apply pending migrations')
  .action(() => migrate(config()));
db.command('migration')
  .description('migration files')
  .command('create <name>')
  .description(
    'write prisma/migrations/<timestamp>_<name>/migration.sql from schema.prisma changes',
  )
  .action((name: string) => newMigration(name));

const pii = program.command('pii').description('personal data: detection and the vault');
pii
  .command('eval')
  .description("precision and recall of PII detection per type on Presidio's test cases")
  .option('--file <jsonl>', 'cases (default: datasets/pii/presidio_cases.jsonl)')
  .option('--phone-regions <list>', 'regions for national phone formats, e.g. US,GB,DE')
  .option('--json', 'one JSON object', false)
  .action((opts: { file?: string; json: boolean; phoneRegions?: string }) => evalPii(opts));
pii
  .command('keygen')
  .description('a new PII vault key pair, as PARLEY_VAULT_PUBLIC_KEY / PARLEY_VAULT_PRIVATE_KEY')
  .action(() => keygen());

const guard = program
  .command('guard')
  .description('input guards: prompt injection, abuse, language');
guard
  .command('eval-injection')
  .description(
    'detection rate on attacks, false positives on benign prompts and customer utterances',
  )
  .option('--attacks <jsonl>', 'attacks (default: datasets/injection/attacks.jsonl)')
  .option('--benign <jsonl>', 'benign prompts (default: datasets/injection/benign.jsonl)')
  .option('--customer <jsonl>', 'customer utterances (default: datasets/clinc150/test.jsonl)')
  .option('--json', 'one JSON object', false)
  .action((opts: EvalInjectionOptions) => evalInjection(opts));

program.parseAsync().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
