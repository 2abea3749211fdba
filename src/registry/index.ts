// Public API of the registry client: parse references, resolve and verify digests, check push versus pull side.
export type {
  Credentials,
  ImageReference,
  ManifestKind,
  RegistryClient,
  RegistryClientOptions,
  Resolution,
  ResolveOptions,
} from './types.js';
export { apiHost, formatReference, isLoopback, isValidDigest, isValidDomain, isValidRepositoryPath, isValidTag, parseAliases, parseReference, repositoryName, DOCKER_HUB } from './reference.js';
export { createRegistryClient, reachedRegistry } from './client.js';
export { checkPushPullAgreement, disagreementMessage, servesDigest, type PushPullCheck } from './pull-side.js';
export { MEDIA_TYPES, MANIFEST_ACCEPT, isPlatformString } from './manifest.js';
export { defaultDockerConfigPath, loadDockerConfig, parseDockerConfig } from './docker-config.js';
export { parseChallenges, realmMayReceiveCredentials, type Challenge } from './auth.js';
export { copyImage, type CopyOptions, type CopyResult } from './copy.js';
export { copySignatureTags } from './copy-signatures.js';
