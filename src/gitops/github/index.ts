// Public surface of the GitHub backend of the GitOps engine.
export { createGitHubBackend, type GitHubBackendOptions } from './backend.js';
export { DEFAULT_RETRY, backoffDelay, type RetryPolicy } from './retry.js';
export { buildReadQuery, type ReadPlan } from './queries.js';
export { createOctokit, tokenFromEnv, type GitHubClient, type OctokitOptions } from '../octokit.js';
export { gitHubError, type GitHubStep, type GitHubCallContext } from '../errors.js';
export { promotionBranch, DEFAULT_BRANCH_TEMPLATE, type BranchTarget } from '../branch.js';
