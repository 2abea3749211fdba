import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as S}from"./chunk-Y3LHRA75.js";import{a as v,b as w}from"./chunk-TZHMPPTX.js";import"./chunk-5F42LC2W.js";import{e as R}from"./chunk-KO3RERRN.js";import"./chunk-UA2YWRSL.js";import"./chunk-R7G4IQAA.js";import"./chunk-FG7UOBFC.js";import"./chunk-YJG4PLIA.js";import{b as E}from"./chunk-UKWU65DA.js";import{g as f,n as h,o as m}from"./chunk-ABFE2EDJ.js";import"./chunk-K5F5YKUG.js";import"./chunk-2BIPRGKX.js";import{f as d,j as g,k as u}from"./chunk-6IDLYW7Y.js";import{a as l}from"./chunk-TW42H5Q7.js";import{b as n}from"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";var T=`usage: digestpin verify REF --key PUBKEY [--key ...] [--attestation TYPE] [options]

Checks, at the registry, that REF's digest (a tag is resolved first) is signed with cosign by one of the
keys, and with --attestation that buildx's provenance of that type names each platform image as its subject.
Exit 0 when the policy holds; otherwise one line says which policy failed and why. No cosign binary is used.

options:
  --key PUBKEY                 a PEM public key file (e.g. cosign.pub); repeatable; any one key may sign
  --attestation TYPE           check provenance of this predicate type (e.g. https://slsa.dev/provenance/v0.2)
  --builder-id ID              with --attestation: the builder id the provenance must name
  --source-repository REPO     with --attestation: the source repository it must name (owner/name or a URL)
  --json                       print what was verified as JSON
  --insecure-registry HOST     reach HOST over plain http (loopback hosts always are); repeatable
  --alias CLUSTER=HOST         reach registry CLUSTER at HOST; repeatable

credentials: DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, else the docker config.`;function I(a,t){let{DIGESTPIN_REGISTRY_USERNAME:e,DIGESTPIN_REGISTRY_PASSWORD:i}=a;if(!(!e||!i))return l(i),Object.fromEntries(t.map(s=>[s,{username:e,password:i}]))}var U=async(a,t)=>{let{values:e,positionals:i}=S("verify",a,{key:{type:"string",multiple:!0},attestation:{type:"string"},"builder-id":{type:"string"},"source-repository":{type:"string"},json:{type:"boolean"},"insecure-registry":{type:"string",multiple:!0},alias:{type:"string",multiple:!0},help:{type:"boolean",short:"h"}},!0);if(e.help)return t.stdout(T),0;if(i.length!==1)throw new n("REF",`give exactly one image reference (got ${i.length}); see 'digestpin verify --help'`);let s=e.key??[];if(!s.length&&!e.attestation)throw new n("--key","give --key PUBKEY (a signature check) and/or --attestation TYPE; see 'digestpin verify --help'");if(!e.attestation&&(e["builder-id"]||e["source-repository"]))throw new n(e["builder-id"]?"--builder-id":"--source-repository","needs --attestation TYPE");let r=g(i[0],"REF"),c=d(e.alias??[],"--alias"),y={aliases:c,insecureRegistries:e["insecure-registry"]??[],credentials:I(t.env,[r.registry,h(r.registry,c)]),dockerConfigPath:f(t.env),notFoundWindowMs:0,logger:t.logger},k=await R(s,t.cwd,"--key"),P={require:e.attestation?"attestation":"signature",keys:s,predicateType:e.attestation,builderId:e["builder-id"],sourceRepository:e["source-repository"]},p=r.digest??(await m(y).resolve(r,{waitForPush:!1})).digest,o=await v(E(y),r,p,P,k);return e.json?t.stdout(JSON.stringify({reference:u({...r,digest:p}),digest:p,require:o.require,verified:o.checks},null,2)):t.stdout([`verified ${o.image}`,...w(o).map(b=>`  ${b}`)].join(`
`)),0};export{U as main};
