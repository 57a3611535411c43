import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

import type { z } from 'zod';

import { checkReferences, toolEnvironment, type AssistantParts, type Loaded } from './checks';
import type { ToolEnvironment } from './checks';
import { AssistantDefinitionError, AssistantProblemCode, type AssistantProblem } from './errors';
import { schemaProblems } from './issues';
import { assistantFileSchema, type AssistantFile } from './schema/assistant.schema';
import { entitiesFileSchema, type Entity } from './schema/entity.schema';
import { flowSchema, type Flow } from './schema/flow.schema';
import { intentSchema, type Intent } from './schema/intent.schema';
import { policiesSchema, type Policies } from './schema/policies.schema';
import { responsesSchema, type SystemResponses } from './schema/responses.schema';
import { toolsFileSchema, type Tool } from './schema/tool.schema';
import { YamlSource } from './source';

export interface KnowledgeDocument {
  /** File name inside knowledge/. */
  file: string;
  /** The first `# ` heading, or the file name. */
  title: string;
  markdown: string;
}

/** An assistant folder, validated: what the engine, NLU, policies and tools run on. */
export interface AssistantDefinition {
  /** Absolute path of the folder. */
  dir: string;
  assistant: AssistantFile;
  policies: Policies;
  responses: SystemResponses;
  intents: Intent[];
  entities: Record<string, Entity>;
  flows: Flow[];
  tools: Record<string, Tool>;
  knowledge: KnowledgeDocument[];
  /** Environment variables the HTTP tools read: `{config.NAME}` and `{secret.NAME}`. */
  environment: ToolEnvironment;
}

const FILES = {
  assistant: 'assistant.yaml',
  policies: 'policies.yaml',
  responses: 'responses.yaml',
  entities: 'entities.yaml',
  tools: 'tools.yaml',
} as const;
const FOLDERS = { intents: 'intents', flows: 'flows', knowledge: 'knowledge' } as const;

/**
 * Reads and validates an assistant folder. Throws one AssistantDefinitionError listing every
 * problem found (file:line:column each), never just the first.
 */
export async function loadAssistant(dir: string): Promise<AssistantDefinition> {
  const root = path.resolve(dir);
  const shown = display(root);
  if (!(await isDirectory(root))) {
    throw new AssistantDefinitionError(shown, [
      { code: AssistantProblemCode.File, file: shown, message: 'not a folder' },
    ]);
  }
  const loader = new FolderLoader(root);
  const parts: AssistantParts = {
    assistant: await loader.file(FILES.assistant, assistantFileSchema),
    policies: await loader.file(FILES.policies, policiesSchema),
    responses: await loader.file(FILES.responses, responsesSchema),
    entities: await loader.file(FILES.entities, entitiesFileSchema, {}),
    tools: await loader.file(FILES.tools, toolsFileSchema, {}),
    intents: [],
    flows: [],
    brokenIntents: [],
    brokenFlows: false,
    knowledgeFiles: [],
  };
  const intents = await loader.folder(FOLDERS.intents, intentSchema, { required: true });
  parts.intents = intents.loaded;
  parts.brokenIntents = intents.broken;
  const flows = await loader.folder(FOLDERS.flows, flowSchema, { required: false });
  parts.flows = flows.loaded;
  parts.brokenFlows = flows.broken.length > 0;
  const knowledge = await loader.knowledge();
  parts.knowledgeFiles = knowledge.map((doc) => doc.file);
  await loader.unexpectedFiles();

  const problems = [...loader.problems, ...checkReferences(parts)];
  const { assistant, policies, responses, entities, tools } = parts;
  if (problems.length > 0 || !assistant || !policies || !responses || !entities || !tools) {
    throw new AssistantDefinitionError(shown, problems);
  }
  return {
    dir: root,
    assistant: assistant.value,
    policies: policies.value,
    responses: responses.value,
    intents: parts.intents.map((intent) => intent.value),
    entities: entities.value,
    flows: parts.flows.map((flow) => flow.value),
    tools: tools.value,
    knowledge,
    environment: toolEnvironment(tools.value),
  };
}

/** Reads files of one folder, collecting every problem instead of stopping at the first. */
class FolderLoader {
  readonly problems: AssistantProblem[] = [];

  constructor(private readonly root: string) {}

  /** A top-level file; `fallback` makes it optional. Undefined when it is missing or invalid. */
  async file<S extends z.ZodType>(
    name: string,
    schema: S,
    fallback?: z.infer<S>,
  ): Promise<Loaded<z.infer<S>> | undefined> {
    const full = path.join(this.root, name);
    if (!(await isFile(full))) {
      if (fallback !== undefined) {
        return { source: YamlSource.empty(display(full)), value: fallback };
      }
      this.fileProblem(full, `missing; every assistant needs ${name}`);
      return undefined;
    }
    return this.parse(full, schema);
  }

  /** Every `*.yaml` in a subfolder, one definition each, whose `name` is the file's name. */
  async folder<S extends z.ZodType<{ name: string }>>(
    name: string,
    schema: S,
    { required }: { required: boolean },
  ): Promise<{ loaded: Loaded<z.infer<S>>[]; broken: string[] }> {
    const folder = path.join(this.root, name);
    const files = (await isDirectory(folder))
      ? await yamlFiles(folder, (f) => this.misnamed(f))
      : [];
    if (required && files.length === 0) {
      this.fileProblem(folder, `no ${name}: add at least one ${name}/<name>.yaml`);
    }
    const loaded: Loaded<z.infer<S>>[] = [];
    const broken: string[] = [];
    for (const file of files) {
      const expected = path.basename(file, '.yaml');
      const result = await this.parse(file, schema);
      if (!result) {
        broken.push(expected);
        continue;
      }
      if (result.value.name !== expected) {
        this.problems.push(
          result.source.problem(
            AssistantProblemCode.File,
            ['name'],
            `name "${result.value.name}" differs from the file name; call it "${expected}"`,
          ),
        );
      }
      loaded.push(result);
    }
    return { loaded, broken };
  }

  async knowledge(): Promise<KnowledgeDocument[]> {
    const folder = path.join(this.root, FOLDERS.knowledge);
    if (!(await isDirectory(folder))) return [];
    const files = (await readdir(folder)).filter((f) => f.endsWith('.md')).sort();
    return Promise.all(
      files.map(async (file) => {
        const markdown = await readFile(path.join(folder, file), 'utf8');
        const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? file;
        return { file, title, markdown };
      }),
    );
  }

  /** YAML at the top level that the format does not know is most likely a misspelt name. */
  async unexpectedFiles(): Promise<void> {
    const expected: string[] = Object.values(FILES);
    for (const entry of (await readdir(this.root)).sort()) {
      if (this.misnamed(path.join(this.root, entry))) continue;
      if (entry.endsWith('.yaml') && !expected.includes(entry)) {
        this.fileProblem(
          path.join(this.root, entry),
          `unexpected file; the top level holds ${expected.join(', ')}`,
        );
      }
    }
  }

  /** Reports a `.yml` file (which would otherwise be silently skipped); true when it was one. */
  private misnamed(file: string): boolean {
    if (!file.endsWith('.yml')) return false;
    this.fileProblem(file, 'rename to .yaml; .yml files are not read');
    return true;
  }

  private async parse<S extends z.ZodType>(
    full: string,
    schema: S,
  ): Promise<Loaded<z.infer<S>> | undefined> {
    const { source, problems } = YamlSource.parse(display(full), await readFile(full, 'utf8'));
    this.problems.push(...problems);
    if (!source) return undefined;
    const input = source.value();
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      this.problems.push(...schemaProblems(source, parsed.error.issues, input));
      return undefined;
    }
    return { source, value: parsed.data };
  }

  private fileProblem(full: string, message: string): void {
    this.problems.push({ code: AssistantProblemCode.File, file: display(full), message });
  }
}

async function yamlFiles(folder: string, misnamed: (file: string) => boolean): Promise<string[]> {
  return (await readdir(folder))
    .sort()
    .map((entry) => path.join(folder, entry))
    .filter((file) => !misnamed(file) && file.endsWith('.yaml'));
}

/** Relative to the working directory when inside it, as editors and terminals link best. */
function display(full: string): string {
  const relative = path.relative(process.cwd(), full);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : full;
}

async function isDirectory(full: string): Promise<boolean> {
  return (await stat(full).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(full: string): Promise<boolean> {
  return (await stat(full).catch(() => undefined))?.isFile() ?? false;
}
