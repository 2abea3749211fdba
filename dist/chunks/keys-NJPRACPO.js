import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b,c,d,e}from"./chunk-KO3RERRN.js";import"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";export{a as fingerprintOf,e as loadTrustedKeys,c as normalizePem,d as parsePublicKey,b as shortFingerprint};
