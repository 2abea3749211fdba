import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);
import{b as r}from"./chunk-F6C2JXA4.js";var s=class extends r{constructor(n,t){super(n,t),this.message=t}};export{s as a};
