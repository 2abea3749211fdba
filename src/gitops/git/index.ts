// Plain-git GitOps backend: public surface.
export { createGitBackend, type GitBackendOptions } from './backend.js';
export { parseRemote, type GitRemote, type RemoteOptions } from './remote.js';
export { createGitSession, DEFAULT_IDENTITY, type GitIdentity, type GitSession } from './session.js';
export { cloneSparse } from './workspace.js';
export { classifyGitFailure, GitCommandError, type GitFailureKind } from './failure.js';
