// `digestpin --version`: the package version, read from package.json at bundle time (loaded only when asked).
import pkg from '../../package.json' with { type: 'json' };

export const version: string = pkg.version;
