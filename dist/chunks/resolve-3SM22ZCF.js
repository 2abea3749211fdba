import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as S}from"./chunk-Y3LHRA75.js";import"./chunk-IDXAEDC3.js";import"./chunk-53726SAH.js";import"./chunk-FG7UOBFC.js";import"./chunk-YJG4PLIA.js";import{f as m,t as h,u}from"./chunk-II5CWYR3.js";import"./chunk-K5F5YKUG.js";import"./chunk-GKSXQZ74.js";import"./chunk-2BIPRGKX.js";import"./chunk-BHUZXB67.js";import{c as p,f as g,j as c,k as f}from"./chunk-6IDLYW7Y.js";import{a as d}from"./chunk-TW42H5Q7.js";import{b as i}from"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";var P=`usage: digestpin resolve REF [options]

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
($DOCKER_CONFIG/config.json or ~/.docker/config.json).`;function w(s){if(s===void 0)return 0;let t=Number(s);if(!/^\d+(\.\d+)?$/.test(s)||!Number.isFinite(t))throw new i("--wait",`'${s}' must be a number of seconds, e.g. 30`);return Math.round(t*1e3)}function D(s,t){let e=s.DIGESTPIN_REGISTRY_USERNAME,r=s.DIGESTPIN_REGISTRY_PASSWORD;if(!(!e&&!r)){if(!e||!r){let n=e?"DIGESTPIN_REGISTRY_PASSWORD":"DIGESTPIN_REGISTRY_USERNAME";throw new i(n,"set both DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, or neither")}return d(r),Object.fromEntries(t.map(n=>[n,{username:e,password:r}]))}}var A=async(s,t)=>{let{values:e,positionals:r}=S("resolve",s,{platform:{type:"string"},json:{type:"boolean"},labels:{type:"boolean"},"insecure-registry":{type:"string",multiple:!0},alias:{type:"string",multiple:!0},wait:{type:"string"},help:{type:"boolean",short:"h"}},!0);if(e.help)return t.stdout(P),0;if(r.length!==1)throw new i("REF",`give exactly one image reference (got ${r.length}); see 'digestpin resolve --help'`);let n=c(r[0],"REF");if(e.platform&&!p(e.platform))throw new i("--platform",`'${e.platform}' must look like os/arch or os/arch/variant, e.g. linux/arm64`);let a=g(e.alias??[],"--alias"),R={aliases:a,insecureRegistries:e["insecure-registry"]??[],credentials:D(t.env,[n.registry,h(n.registry,a)]),dockerConfigPath:m(t.env),notFoundWindowMs:w(e.wait),logger:t.logger},o=await u(R).resolve(n,{platform:e.platform,labels:!!(e.labels||e.json),describe:!!e.json,verifyContent:!0});if(!e.json){let C=Object.entries(o.labels??{}).map(([N,O])=>`${N}=${O}`);return t.stdout([o.digest,...C].join(`
`)),0}let{digest:l,kind:E,mediaType:y,platforms:I,labels:b}=o,T=f({...n,digest:l});return t.stdout(JSON.stringify({reference:T,digest:l,kind:E,mediaType:y,platforms:I,labels:b??{}},null,2)),0};export{A as main};
