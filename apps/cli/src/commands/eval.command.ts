import { readConversationTests } from '../eval/conversation-file';
import { EvalSetupError, formatReport, runEval, type EvalReport } from '../eval/run-eval';

/**
 * `parley eval <dir>`: plays conversation tests against a running suite. Exit 1 on failures, 2
 * when they cannot run as written (verified customers without the identity secret).
 */
export async function evalConversations(
  dir: string,
  opts: { url: string; adminToken?: string; identitySecret?: string; json: boolean },
): Promise<number> {
  const tests = await readConversationTests(dir);
  let report: EvalReport;
  try {
    report = await runEval(tests, {
      url: opts.url,
      ...(opts.adminToken ? { adminToken: opts.adminToken } : {}),
      ...(opts.identitySecret ? { identitySecret: opts.identitySecret } : {}),
    });
  } catch (error) {
    if (!(error instanceof EvalSetupError)) throw error;
    console.error(error.message);
    return 2;
  }
  console.log(opts.json ? JSON.stringify(report) : formatReport(report));
  return report.passed === report.conversations ? 0 : 1;
}
