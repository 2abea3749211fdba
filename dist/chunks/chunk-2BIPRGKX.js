import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
var e=/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g,s=/^(\s*)(::|##\[)/;function u(n){return`\\u${n.charCodeAt(0).toString(16).padStart(4,"0")}`}function c(n){return n.replace(e,u).replace(s,(t,r,i)=>`${r}${i[0]}\u200B${i.slice(1)}`)}function g(n){return n.split(/\r\n|\r|\n/).map(c).join(`
`)}function o(n,t=120){let r=n.length>t?`${n.slice(0,t)}\u2026`:n;return JSON.stringify(r).replace(e,u)}export{c as a,g as b,o as c};
