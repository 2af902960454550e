/** Secret detection shared by no-hardcoded-secrets and no-secrets-in-build-args. */
export { credentialHit, dedupe, nameHit, pairHits, scanText, scanValue, strongHits, looksLikeToken, headerValueHit, type Detector, type SecretHit } from './detect';
export { commandHits } from './commands';
export { exemptName, isAuthHeaderName, nameWords, safeName, secretName, type SecretName } from './names';
export { isFileName, isFingerprint, isNonSecretShape, isPlaceholder, isReferenceSyntax, isWeakCredential, literalRegion, looksRandom, valueParts, type Region } from './values';
export { dotenvLine, envFileValues, envName, fileExists, ignoreLine, ignoreRequests, isIgnored, isSafeSidePath, ROTATE, safeSideFiles, secretId, sideFiles } from './files';
export { PRIVATE_KEY, PROVIDER_PATTERNS, type ProviderPattern } from './patterns';
export { buildSecretFix, buildSecretTitle } from './buildSecret';
