#!/usr/bin/env node
import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{b as d}from"./chunks/chunk-2LC7VFCJ.js";import{c as t}from"./chunks/chunk-3CV4QPCD.js";import{d as m,e as c,j as p}from"./chunks/chunk-HOSIISTP.js";var i={resolve:{summary:"resolve REF to its digest at the registry",load:()=>import("./chunks/resolve-JHLLM5XI.js")},pin:{summary:"write a digest into a values or kustomization file",load:()=>import("./chunks/pin-CRWF546F.js")},lint:{summary:"check image blocks in values files",load:()=>import("./chunks/lint-ONBPFOWM.js")},promote:{summary:"pin a verified digest in a GitOps repository (commit or PR)",load:()=>import("./chunks/promote-HOHR4QZE.js")},ship:{summary:"build, push, verify, pin and promote: the whole pipeline",load:()=>import("./chunks/ship-LQ4AH7SW.js")}};function u(){return`usage: digestpin <command> [options]

commands:
${Object.entries(i).map(([n,e])=>`  ${n.padEnd(9)} ${e.summary}`).join(`
`)}

Run 'digestpin <command> --help' for a command's options.`}async function l(s,n){let e={stdout:n?.stdout??(r=>process.stdout.write(r.endsWith(`
`)?r:`${r}
`)),logger:n?.logger??d({verbose:!!process.env.DIGESTPIN_DEBUG}),env:n?.env??process.env,cwd:n?.cwd??process.cwd()},[o,...g]=s;if(!o||o==="--help"||o==="-h"||o==="help")return e.stdout(u()),o?0:2;let a=i[o];if(!a)return e.logger.error(`unknown command '${o}'. ${Object.keys(i).join(", ")} are the commands.`),2;try{let{main:r}=await a.load();return await r(g,e)}catch(r){return e.logger.error(t(p(r))),process.env.DIGESTPIN_DEBUG&&r instanceof Error&&r.stack&&e.logger.debug(t(r.stack)),r instanceof c?2:(r instanceof m,1)}}process.exitCode=await l(process.argv.slice(2));
