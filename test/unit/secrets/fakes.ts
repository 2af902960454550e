/**
 * Fake secrets for tests: obviously fake ("Bulkhead...Fake"), valid for the detectors'
 * formats, and never written whole in a source file (built by concatenation here, and
 * named by `@@name@@` markers in test/fixtures/secrets), so no scanner or push protection
 * mistakes this repository for one that leaks.
 */
const j = (...parts: string[]) => parts.join('');

export const FAKE: Record<string, string> = {
  github: j('gh', 'p_', 'BulkheadFakeToken', '0123456789', 'abcdefGHI'),
  'github-fine': j('github', '_pat_', 'BulkheadFake0123456789', '_', 'BulkheadFakeFineGrainedToken', '0123456789', 'abcdefghijklmnopqrstu'),
  gitlab: j('gl', 'pat-', 'BulkheadFake', '01234567'),
  slack: j('xo', 'xb-', '1234567890', '-', '1234567890', '-', 'BulkheadFakeSlack01'),
  'slack-webhook': j('https://hooks.', 'slack.com/services/', 'T0BULKHEAD/B0FAKE0000/', 'BulkheadFakeWebhook01234'),
  stripe: j('sk', '_live_', 'BulkheadFake', '0123456789abc'),
  npm: j('np', 'm_', 'BulkheadFakeNpmToken', '0123456789abcdef'),
  pypi: j('py', 'pi-', 'AgEIcHlwaS5vcmc', 'CJBulkheadFakePyPIToken', '0123456789abcdefghijklmnopqrstuvwxyz'),
  openai: j('sk-', 'proj-', 'BulkheadFakeOpenAIKey', '0123456789abcdefghijklmnopqrstuv'),
  anthropic: j('sk-', 'ant-api03-', 'BulkheadFakeAnthropicKey', '0123456789'.repeat(7)),
  google: j('AI', 'za', 'SyBulkheadFakeGoogleKey', '0123456789ab'),
  'aws-id': j('AK', 'IA', 'BULKHEADFAKE2345'),
  'aws-secret': j('Bulkhead', 'Fake/Secret+', 'AccessKey', '0123456789a'),
  jwt: j('ey', 'JhbGciOiJIUzI1NiJ9', '.', 'ey', 'JzdWIiOiJidWxraGVhZC1mYWtlIn0', '.', 'BulkheadFakeSignature0123'),
  sendgrid: j('S', 'G.', 'BulkheadFakeSendGrid01', '.', 'BulkheadFakeSendGridSecretPart', '0123456789abc'),
  dockerhub: j('dck', 'r_pat_', 'BulkheadFakeDockerHub', '012345'),
  vault: j('hv', 's.', 'BulkheadFakeVaultToken', '0123456789'),
  'private-key': j('-----BEGIN ', 'RSA PRIVATE', ' KEY-----\n', 'MIIBOgIBAAJBAKBulkheadFakeKeyMaterialNotARealKey0123456789abcdefg\n', 'hijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/abcdef==\n', '-----END ', 'RSA PRIVATE', ' KEY-----'),
  'private-key-line': j('-----BEGIN ', 'OPENSSH PRIVATE', ' KEY-----', '\\n', 'b3BlbnNzaC1rZXktdjEAAAAABulkheadFakeOpenSSHKeyMaterial0123456789', '\\n', '-----END ', 'OPENSSH PRIVATE', ' KEY-----'),
};

/** Replaces `@@name@@` markers with fakes. */
export function withFakes(text: string): string {
  return text.replace(/@@([a-z-]+)@@/g, (m, name: string) => {
    const v = FAKE[name];
    if (v === undefined) throw new Error(`unknown fake ${m}`);
    return v;
  });
}
