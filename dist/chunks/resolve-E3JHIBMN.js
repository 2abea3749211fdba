import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as y}from"./chunk-3XWBJIMQ.js";import{a as u}from"./chunk-Y3LHRA75.js";import"./chunk-IDXAEDC3.js";import"./chunk-53726SAH.js";import"./chunk-FG7UOBFC.js";import"./chunk-YJG4PLIA.js";import{f,t as c,u as h}from"./chunk-II5CWYR3.js";import"./chunk-K5F5YKUG.js";import"./chunk-GKSXQZ74.js";import"./chunk-2BIPRGKX.js";import"./chunk-BHUZXB67.js";import{c as p,f as g,j as d,k as m}from"./chunk-6IDLYW7Y.js";import"./chunk-TW42H5Q7.js";import{b as i}from"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";var k=`usage: digestpin resolve REF [options]

Prints the digest the registry serves for REF (host[:port]/path/name[:tag][@digest]).
A multi-platform image resolves to its index digest, as pushed. No tag means :latest, as in docker;
with @digest, the registry is asked for that digest (one request proves it holds it). What is printed
is the digest of the content the registry served, never only its Docker-Content-Digest header.

options:
  --platform OS/ARCH        print that platform's manifest digest instead of the index digest
  --json                    print digest, kind, mediaType, platforms and labels as JSON
  --labels                  also print the image config's labels, one KEY=VALUE per line (implied by --json)
  --insecure-registry HOST  reach HOST over plain http (loopback hosts always are); repeatable
  --alias CLUSTER=HOST      reach registry CLUSTER at HOST (e.g. k3d-dev-reg:5000=localhost:5000); repeatable
  --wait SECONDS            retry a 404 this long, for a push that just finished (default 0)

credentials: DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, else the docker config
($DOCKER_CONFIG/config.json or ~/.docker/config.json).`;function T(s){if(s===void 0)return 0;let t=Number(s);if(!/^\d+(\.\d+)?$/.test(s)||!Number.isFinite(t))throw new i("--wait",`'${s}' must be a number of seconds, e.g. 30`);return Math.round(t*1e3)}var F=async(s,t)=>{let{values:e,positionals:n}=u("resolve",s,{platform:{type:"string"},json:{type:"boolean"},labels:{type:"boolean"},"insecure-registry":{type:"string",multiple:!0},alias:{type:"string",multiple:!0},wait:{type:"string"},help:{type:"boolean",short:"h"}},!0);if(e.help)return t.stdout(k),0;if(n.length!==1)throw new i("REF",`give exactly one image reference (got ${n.length}); see 'digestpin resolve --help'`);let r=d(n[0],"REF");if(e.platform&&!p(e.platform))throw new i("--platform",`'${e.platform}' must look like os/arch or os/arch/variant, e.g. linux/arm64`);let a=g(e.alias??[],"--alias"),b={aliases:a,insecureRegistries:e["insecure-registry"]??[],credentials:y(t.env,[r.registry,c(r.registry,a)]),dockerConfigPath:f(t.env),notFoundWindowMs:T(e.wait),logger:t.logger},o=await h(b).resolve(r,{platform:e.platform,labels:!!(e.labels||e.json),describe:!!e.json,verifyContent:!0});if(!e.json){let v=Object.entries(o.labels??{}).map(([w,j])=>`${w}=${j}`);return t.stdout([o.digest,...v].join(`
`)),0}let{digest:l,kind:R,mediaType:C,platforms:S,labels:E}=o,O=m({...r,digest:l});return t.stdout(JSON.stringify({reference:O,digest:l,kind:R,mediaType:C,platforms:S,labels:E??{}},null,2)),0};export{F as main};
