import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b}from"./chunk-3MXIX6MW.js";import"./chunk-3CV4QPCD.js";import"./chunk-HOSIISTP.js";export{b as createOctokit,a as tokenFromEnv};
