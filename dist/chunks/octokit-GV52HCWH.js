import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{c as a,d as b}from"./chunk-7JCK6HAE.js";import"./chunk-BHUZXB67.js";import"./chunk-TW42H5Q7.js";import"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";export{b as createOctokit,a as tokenFromEnv};
