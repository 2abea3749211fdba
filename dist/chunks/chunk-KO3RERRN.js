import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{b as i}from"./chunk-F6C2JXA4.js";import{createHash as y,createPublicKey as f}from"node:crypto";import{readFile as g}from"node:fs/promises";import{isAbsolute as l,resolve as m}from"node:path";function d(e){return`sha256:${y("sha256").update(e.export({type:"spki",format:"der"})).digest("hex")}`}function b(e){return e.slice(0,19)}function h(e){let t=/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(e);if(!t)return e;let n=t[2].replace(/\s+/g,"");return`-----BEGIN ${t[1]}-----
${n.replace(/(.{64})/g,`$1
`).replace(/\n$/,"")}
-----END ${t[1]}-----
`}function p(e,t,n){try{let r=f(h(e));return{key:r,fingerprint:d(r),source:t}}catch(r){let s=r instanceof Error?r.message.split(`
`)[0]:String(r);throw new i(n,`${t} is not a PEM public key (${s})`)}}async function k(e,t,n){let r=[],s=0;for(let o of e){if(o.includes("-----BEGIN")){r.push(p(o,`inline key ${++s}`,n));continue}let a=l(o)?o:m(t,o),u=await g(a,"utf8").catch(c=>{throw new i(n,`key file ${o} can't be read (${c.code??c.message})`)});r.push(p(u,o,n))}return r}export{d as a,b,h as c,p as d,k as e};
