import { readConversationTests } from '../eval/conversation-file';
import { formatReport, runEval } from '../eval/run-eval';

/** `parley eval <dir>`: plays conversation tests against a running suite. Exit 1 on failures. */
export async function evalConversations(
  dir: string,
  opts: { url: string; adminToken?: string; json: boolean },
): Promise<number> {
  const tests = await readConversationTests(dir);
  const report = await runEval(tests, {
    url: opts.url,
    ...(opts.adminToken ? { adminToken: opts.adminToken } : {}),
  });
  console.log(opts.json ? JSON.stringify(report) : formatReport(report));
  return report.passed === report.conversations ? 0 : 1;
}
