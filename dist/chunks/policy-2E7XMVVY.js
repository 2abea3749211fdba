import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b,c,d,e}from"./chunk-S2CUDYUA.js";import"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";export{a as REQUIRE_VALUES,c as anchorKeys,e as effectivePolicy,d as policyFromInputs,b as splitKeyEntries};
