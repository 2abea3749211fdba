#!/usr/bin/env node
import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{b as c}from"./chunks/chunk-QEJJBMBS.js";import{c as t}from"./chunks/chunk-3CV4QPCD.js";import{e as m,j as p}from"./chunks/chunk-HOSIISTP.js";var s={resolve:{summary:"resolve REF to its digest at the registry",load:()=>import("./chunks/resolve-BHW5QFQ2.js")},pin:{summary:"write a digest into a values or kustomization file",load:()=>import("./chunks/pin-NFOFIRM2.js")},lint:{summary:"check image blocks in values files",load:()=>import("./chunks/lint-QIMFAPRB.js")},promote:{summary:"pin a verified digest in a GitOps repository (commit or PR)",load:()=>import("./chunks/promote-UI7I47AN.js")},ship:{summary:"build, push, verify, pin and promote: the whole pipeline",load:()=>import("./chunks/ship-RIA2DOPT.js")}};function u(){return`usage: digestpin <command> [options]

commands:
${Object.entries(s).map(([n,o])=>`  ${n.padEnd(9)} ${o.summary}`).join(`
`)}

Run 'digestpin <command> --help' for a command's options.`}async function d(i,n){let o={stdout:n?.stdout??(r=>process.stdout.write(r.endsWith(`
`)?r:`${r}
`)),logger:n?.logger??c({verbose:!!process.env.DIGESTPIN_DEBUG}),env:n?.env??process.env,cwd:n?.cwd??process.cwd()},[e,...l]=i;if(!e||e==="--help"||e==="-h"||e==="help")return o.stdout(u()),e?0:2;let a=s[e];if(!a)return o.logger.error(`unknown command '${e}'. ${Object.keys(s).join(", ")} are the commands.`),2;try{let{main:r}=await a.load();return await r(l,o)}catch(r){return o.logger.error(t(p(r))),process.env.DIGESTPIN_DEBUG&&r instanceof Error&&r.stack&&o.logger.debug(t(r.stack)),r instanceof m?2:1}}process.exitCode=await d(process.argv.slice(2));
