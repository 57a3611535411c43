import { InvalidArgumentError } from 'commander';

import type { CliConfig } from '../config';
import { readConversationTests } from '../eval/conversation-file';
import { createJudge, formatJudgement, judgePassed, judgeReport } from '../eval/judge';
import {
  EvalSetupError,
  formatReport,
  runEval,
  type EvalEngine,
  type EvalReport,
} from '../eval/run-eval';

export interface EvalCommandOptions {
  url?: string;
  adminToken?: string;
  identitySecret?: string;
  engine: EvalEngine;
  judge?: string;
  minJudgeScore?: number;
  json: boolean;
}

/** `--min-judge-score`: a score on the judge's 1-5 scale. */
export function parseJudgeScore(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1 || n > 5) throw new InvalidArgumentError('a number from 1 to 5');
  return n;
}

/**
 * `parley eval <dir>`: plays conversation tests against a running suite, and with `--judge` has a
 * model score every reply. Exit 1 on failures or judge scores below `--min-judge-score`, 2 when
 * they cannot run as written (verified customers without the identity secret, no judge key).
 */
export async function evalConversations(
  dir: string,
  config: CliConfig,
  opts: EvalCommandOptions & { url: string },
): Promise<number> {
  const tests = await readConversationTests(dir);
  let report: EvalReport;
  try {
    if (opts.minJudgeScore !== undefined && !opts.judge)
      throw new EvalSetupError('--min-judge-score needs --judge <provider:model>');
    // Before any message is sent: a judge that cannot be asked is a setup error.
    const judge = opts.judge ? createJudge(opts.judge, config) : null;
    report = await runEval(tests, {
      url: opts.url,
      engine: opts.engine,
      ...(opts.adminToken ? { adminToken: opts.adminToken } : {}),
      ...(opts.identitySecret ? { identitySecret: opts.identitySecret } : {}),
    });
    if (judge) {
      report.judge = await judgeReport(report, judge, {
        url: opts.url,
        ...(opts.minJudgeScore !== undefined ? { minScore: opts.minJudgeScore } : {}),
      });
    }
  } catch (error) {
    if (!(error instanceof EvalSetupError)) throw error;
    console.error(error.message);
    return 2;
  }
  if (opts.json) console.log(JSON.stringify(report));
  else {
    console.log(formatReport(report));
    if (report.judge) console.log(formatJudgement(report, report.judge));
  }
  const passed = report.passed === report.conversations;
  return passed && (!report.judge || judgePassed(report.judge)) ? 0 : 1;
}
