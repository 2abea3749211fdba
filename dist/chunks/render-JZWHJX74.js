import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b,c,d}from"./chunk-YPFVH32Z.js";import"./chunk-WE3UHFQ3.js";import"./chunk-GPLUNJ3H.js";import"./chunk-TW42H5Q7.js";import"./chunk-EEEC4TXW.js";export{c as planJson,d as planMarkdown,b as planTable,a as reasonText};
