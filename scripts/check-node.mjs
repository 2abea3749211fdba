// npm puts node_modules/.bin first on PATH, so scripts run on the devDependency node@24 (the runner's version).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`digestpin's tests run on Node 24 (the Actions runtime); this is ${process.version}. Run 'npm ci' so node_modules/.bin/node is Node 24.`);
  process.exit(1);
}
