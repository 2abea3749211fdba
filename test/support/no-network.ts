// Unit tier: nothing may leave the process. Loopback stays allowed for servers a test starts itself.
import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
