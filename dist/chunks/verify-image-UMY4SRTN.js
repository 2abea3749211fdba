import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b}from"./chunk-3JDOCQAS.js";import"./chunk-KRBALST2.js";import"./chunk-KO3RERRN.js";import"./chunk-UA2YWRSL.js";import"./chunk-5DUDVZOO.js";import"./chunk-K5F5YKUG.js";import"./chunk-6IDLYW7Y.js";import"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";export{b as verifiedLines,a as verifyImage};
