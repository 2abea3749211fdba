import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-DFTQKRPR.js";import"./chunk-5DUDVZOO.js";import"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";export{d as INPUT_NAMES,a as REQUIRE_VALUES,c as anchorKeys,f as effectivePolicy,e as policyFromInputs,b as splitKeyEntries};
