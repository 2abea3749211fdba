import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a,b}from"./chunk-IRELA7PU.js";import"./chunk-EEEC4TXW.js";export{a as MATRIX_LIMIT,b as matrixOf};
