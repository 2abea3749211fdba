import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a}from"./chunk-UA2YWRSL.js";import"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";export{a as PolicyError};
