import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{c as t}from"./chunk-3CV4QPCD.js";var s={start:"\u27A1\uFE0F",done:"\u2705",fail:"\u274C"};function a(i,e,o){return`[${i}] ${s[e]} ${o}`}function c(i={}){let e=i.write??(r=>process.stderr.write(`${r}
`)),o=r=>r?.file?`${r.file}${r.startLine?`:${r.startLine}`:""}: `:"";return{info:r=>e(t(r)),debug:r=>{i.verbose&&e(t(`debug: ${r}`))},warning:(r,n)=>e(t(`warning: ${o(n)}${r}`)),error:(r,n)=>e(t(`error: ${o(n)}${r}`)),group:async(r,n)=>(e(t(`== ${r}`)),n())}}export{a,c as b};
