import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
function n(o){return{entries:o.entries,...o.promotion,dryRun:o.dryRun,platforms:o.resolution?.platforms,verifiedAt:o.verifiedAt,source:o.source,notes:o.promotion.reason?[...o.notes,`**${o.promotion.operation}:** ${o.promotion.reason}`]:o.notes}}export{n as a};
