import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b}from"./chunk-ACDWHC7D.js";import"./chunk-X27RSQXR.js";import"./chunk-K5F5YKUG.js";import"./chunk-2BIPRGKX.js";import"./chunk-6IDLYW7Y.js";import"./chunk-TW42H5Q7.js";import"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";export{a as ARTIFACT_MAX_BYTES,b as createArtifactReader};
