// The build phase: buildx argv (pure), metadata parsing (pure), running the build, optional docker login.
export { buildxArgs, normalizeBuildArgs, validatePlatforms } from './buildx-args.js';
export { parseBuildMetadata, isDigest } from './metadata.js';
export { runBuild, buildFailureReason } from './run-build.js';
export { dockerLogin, type DockerLoginOptions } from './docker-login.js';
export type { BuildRequest, BuildResult, BuildMetadata, BuildDescriptor, BuildDeps } from './types.js';
