import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{a as I}from"./chunk-3XWBJIMQ.js";import{a as b}from"./chunk-Y3LHRA75.js";import{a as k,b as w}from"./chunk-3JDOCQAS.js";import"./chunk-KRBALST2.js";import{e as E}from"./chunk-KO3RERRN.js";import"./chunk-UA2YWRSL.js";import"./chunk-IDXAEDC3.js";import"./chunk-53726SAH.js";import"./chunk-FG7UOBFC.js";import{a as f}from"./chunk-5DUDVZOO.js";import"./chunk-YJG4PLIA.js";import{b as v}from"./chunk-BPQQGZIX.js";import{f as h,t as m,u as R}from"./chunk-II5CWYR3.js";import"./chunk-K5F5YKUG.js";import"./chunk-GKSXQZ74.js";import"./chunk-2BIPRGKX.js";import"./chunk-BHUZXB67.js";import{f as l,j as g,k as u}from"./chunk-6IDLYW7Y.js";import"./chunk-TW42H5Q7.js";import{b as o}from"./chunk-F6C2JXA4.js";import"./chunk-EEEC4TXW.js";import{isAbsolute as C,resolve as x}from"node:path";var O={trustedRoot:"--trusted-root",identity:"--certificate-identity",identityRegexp:"--certificate-identity-regexp",issuer:"--certificate-oidc-issuer"},j=`usage: digestpin verify REF --key PUBKEY [--key ...] [--attestation TYPE] [options]
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

credentials: DIGESTPIN_REGISTRY_USERNAME and DIGESTPIN_REGISTRY_PASSWORD, else the docker config.`,K=async(P,t)=>{let{values:e,positionals:a}=b("verify",P,{key:{type:"string",multiple:!0},attestation:{type:"string"},"builder-id":{type:"string"},"source-repository":{type:"string"},"trusted-root":{type:"string"},"certificate-identity":{type:"string"},"certificate-identity-regexp":{type:"string"},"certificate-oidc-issuer":{type:"string"},json:{type:"boolean"},"insecure-registry":{type:"string",multiple:!0},alias:{type:"string",multiple:!0},help:{type:"boolean",short:"h"}},!0);if(e.help)return t.stdout(j),0;if(a.length!==1)throw new o("REF",`give exactly one image reference (got ${a.length}); see 'digestpin verify --help'`);let n=e.key??[];if(!n.length&&!e.attestation)throw new o("--key","give --key PUBKEY (a signature check) and/or --attestation TYPE; see 'digestpin verify --help'");if(!e.attestation&&(e["builder-id"]||e["source-repository"]))throw new o(e["builder-id"]?"--builder-id":"--source-repository","needs --attestation TYPE");let i=g(a[0],"REF"),y=l(e.alias??[],"--alias"),d={aliases:y,insecureRegistries:e["insecure-registry"]??[],credentials:I(t.env,[i.registry,m(i.registry,y)]),dockerConfigPath:h(t.env),notFoundWindowMs:0,logger:t.logger},S=await E(n,t.cwd,"--key"),r=e["trusted-root"],p={require:e.attestation?"attestation":"signature",keys:n,predicateType:e.attestation,builderId:e["builder-id"],sourceRepository:e["source-repository"],trustedRoot:r&&!C(r)?x(t.cwd,r):r,certificateIdentity:e["certificate-identity"],certificateIdentityRegexp:e["certificate-identity-regexp"],certificateOidcIssuer:e["certificate-oidc-issuer"]};f(p,O);let c=i.digest??(await R(d).resolve(i,{waitForPush:!1})).digest,s=await k(v(d),i,c,p,S);return e.json?t.stdout(JSON.stringify({reference:u({...i,digest:c}),digest:c,require:s.require,verified:s.checks},null,2)):t.stdout([`verified ${s.image}`,...w(s).map(T=>`  ${T}`)].join(`
`)),0};export{K as main};
