// Types the planner shares with the GitOps engine and the request model.
export type { ChangedFile, EditSummary, FileEdit, PromotionRequest } from '../gitops/types.js';
import type { GitOpsSpec } from '../request.js';
export type GitOpsSpecLike = Pick<GitOpsSpec, 'repository' | 'baseBranch' | 'branchTemplate' | 'pullRequest' | 'dryRun'> & { mode: 'direct' | 'pull-request' };
