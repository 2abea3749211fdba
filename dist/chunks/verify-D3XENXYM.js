import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as b}from"./chunk-Y3LHRA75.js";import{a as k,b as I}from"./chunk-SMJMMTBJ.js";import"./chunk-5F42LC2W.js";import{e as S}from"./chunk-KO3RERRN.js";import"./chunk-UA2YWRSL.js";import"./chunk-DMQZFQQR.js";import"./chunk-FG7UOBFC.js";import{a as h}from"./chunk-5DUDVZOO.js";import"./chunk-YJG4PLIA.js";import{b as w}from"./chunk-ACDWHC7D.js";import{g as R,y as E,z as v}from"./chunk-X27RSQXR.js";import"./chunk-K5F5YKUG.js";import"./chunk-2BIPRGKX.js";import{f as g,j as f,k as m}from"./chunk-6IDLYW7Y.js";import{a as u}from"./chunk-TW42H5Q7.js";import{b as a}from"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";import{isAbsolute as O,resolve as C}from"node:path";var x={trustedRoot:"--trusted-root",identity:"--certificate-identity",identityRegexp:"--certificate-identity-regexp",issuer:"--certificate-oidc-issuer"},N=`usage: digestpin verify REF --key PUBKEY [--key ...] [--attestation TYPE] [options]
       digestpin verify REF --attestation TYPE --trusted-root trusted_root.json --certificate-identity ID --certificate-oidc-issuer URL

Checks, at the registry, that REF's digest (a tag is resolved first) is signed with cosign by one of the
keys, and with --attestation that buildx's provenance of that type names each platform image as its subject.
Exit 0 when the policy holds; otherwise one line says which policy failed and why. No cosign binary is used.

options:
  --key PUBKEY                 a PEM public key file (e.g. cosign.pub); repeatable; any one key may sign
  --attestation TYPE           check provenance of this predicate type (e.g. https://slsa.dev/provenance/v0.2)
  --builder-id ID              with --attestation: the builder id the provenance must name
  --source-repository REPO     with --attestation: the source repository it must name (owner/name or a URL)
  --trusted-root FILE          with --attestation: accept keyless Sigstore bundles that verify against this
                               Sigstore trusted_root.json (no public-good root is built in)
  --certificate-identity ID    keyless: the signing certificate's identity (SAN), exactly
  --certificate-identity-regexp RE   keyless: a regexp the whole identity must match
  --certificate-oidc-issuer URL      keyless: the OIDC issuer the certificate must name, exactly
  --json                       print what was verified as JSON
  --insecure-registry HOST     reach HOST over plain http (loopback hosts always are); repeatable
  --alias CLUSTER=HOST         reach registry CLUSTER at HOST; repeatable

credentials: DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, else the docker config.`;function Y(c,t){let{DIGESTPIN_REGISTRY_USERNAME:e,DIGESTPIN_REGISTRY_PASSWORD:i}=c;if(!(!e||!i))return u(i),Object.fromEntries(t.map(s=>[s,{username:e,password:i}]))}var K=async(c,t)=>{let{values:e,positionals:i}=b("verify",c,{key:{type:"string",multiple:!0},attestation:{type:"string"},"builder-id":{type:"string"},"source-repository":{type:"string"},"trusted-root":{type:"string"},"certificate-identity":{type:"string"},"certificate-identity-regexp":{type:"string"},"certificate-oidc-issuer":{type:"string"},json:{type:"boolean"},"insecure-registry":{type:"string",multiple:!0},alias:{type:"string",multiple:!0},help:{type:"boolean",short:"h"}},!0);if(e.help)return t.stdout(N),0;if(i.length!==1)throw new a("REF",`give exactly one image reference (got ${i.length}); see 'digestpin verify --help'`);let s=e.key??[];if(!s.length&&!e.attestation)throw new a("--key","give --key PUBKEY (a signature check) and/or --attestation TYPE; see 'digestpin verify --help'");if(!e.attestation&&(e["builder-id"]||e["source-repository"]))throw new a(e["builder-id"]?"--builder-id":"--source-repository","needs --attestation TYPE");let r=f(i[0],"REF"),d=g(e.alias??[],"--alias"),p={aliases:d,insecureRegistries:e["insecure-registry"]??[],credentials:Y(t.env,[r.registry,E(r.registry,d)]),dockerConfigPath:R(t.env),notFoundWindowMs:0,logger:t.logger},P=await S(s,t.cwd,"--key"),o=e["trusted-root"],l={require:e.attestation?"attestation":"signature",keys:s,predicateType:e.attestation,builderId:e["builder-id"],sourceRepository:e["source-repository"],trustedRoot:o&&!O(o)?C(t.cwd,o):o,certificateIdentity:e["certificate-identity"],certificateIdentityRegexp:e["certificate-identity-regexp"],certificateOidcIssuer:e["certificate-oidc-issuer"]};h(l,x);let y=r.digest??(await v(p).resolve(r,{waitForPush:!1})).digest,n=await k(w(p),r,y,l,P);return e.json?t.stdout(JSON.stringify({reference:m({...r,digest:y}),digest:y,require:n.require,verified:n.checks},null,2)):t.stdout([`verified ${n.image}`,...I(n).map(T=>`  ${T}`)].join(`
`)),0};export{K as main};
