#!/usr/bin/env node
import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{b as d}from"./chunks/chunk-QEJJBMBS.js";import{c as t}from"./chunks/chunk-3CV4QPCD.js";import{e as m,j as c}from"./chunks/chunk-HOSIISTP.js";var i={resolve:{summary:"resolve REF to its digest at the registry",load:()=>import("./chunks/resolve-LJ47VISL.js")},pin:{summary:"write a digest into a values or kustomization file",load:()=>import("./chunks/pin-BZVOTQDB.js")},lint:{summary:"check image blocks in values files",load:()=>import("./chunks/lint-BOMEAQU7.js")},promote:{summary:"pin a verified digest in a GitOps repository (commit or PR)",load:()=>import("./chunks/promote-VOWOX7XO.js")},ship:{summary:"build, push, verify, pin and promote: the whole pipeline",load:()=>import("./chunks/ship-YHX2RAGB.js")}};function g(){return`usage: digestpin <command> [options]

commands:
${Object.entries(i).map(([n,r])=>`  ${n.padEnd(9)} ${r.summary}`).join(`
`)}

Run 'digestpin <command> --help' for a command's options.`}async function p(s,n){let r={stdout:n?.stdout??(e=>process.stdout.write(e.endsWith(`
`)?e:`${e}
`)),logger:n?.logger??d({verbose:!!process.env.DIGESTPIN_DEBUG}),env:n?.env??process.env,cwd:n?.cwd??process.cwd()},[o,...l]=s;if(!o||o==="--help"||o==="-h"||o==="help")return r.stdout(g()),o?0:2;let a=i[o];if(!a)return r.logger.error(`unknown command '${o}'. ${Object.keys(i).join(", ")} are the commands.`),2;try{let{main:e}=await a.load();return await e(l,r)}catch(e){return r.logger.error(t(c(e))),process.env.DIGESTPIN_DEBUG&&e instanceof Error&&e.stack&&r.logger.debug(t(e.stack)),e instanceof m?2:1}}process.exitCode=await p(process.argv.slice(2));
