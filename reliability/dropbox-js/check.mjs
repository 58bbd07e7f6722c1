// The official Dropbox JavaScript SDK (npm "dropbox") against a running syncbox, changed in nothing but where its
// requests go: a fetch that sends https://{api,content,notify}.dropboxapi.com/2/... to the gateway instead. In Node
// the SDK reads downloads with node-fetch's response (its default fetch there), so the fetch given wraps node-fetch.
// Prints one line per check and "N passed, M failed" last; exits 1 on a failure.
// Usage: node check.mjs http://127.0.0.1:8080
import { Dropbox } from 'dropbox';
import nodeFetch from 'node-fetch';
import { createHash, randomBytes } from 'node:crypto';

const gateway = process.argv[2] || 'http://127.0.0.1:8080';
const localFetch = (url, options) => nodeFetch(url.replace(/^https:\/\/[^/]+/, gateway), options);

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`    ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`    FAIL  ${name}: ${e && e.stack ? e.stack : JSON.stringify(e)}`);
  }
}
function expect(condition, what) {
  if (!condition) throw new Error(what);
}
async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

// Dropbox's content hash, computed here the plain way: SHA-256 of the SHA-256 of each 4 MiB block.
function contentHash(bytes) {
  const outer = createHash('sha256');
  for (let i = 0; i < bytes.length; i += 4 * 1024 * 1024) {
    outer.update(createHash('sha256').update(bytes.subarray(i, i + 4 * 1024 * 1024)).digest());
  }
  return outer.digest('hex');
}

async function account() {
  const email = `js-${Date.now()}-${randomBytes(4).toString('hex')}@example.test`;
  const post = (path, body) => fetch(gateway + path, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const registered = await post('/auth/register', { email, password: 'a long password', name: 'JS' });
  expect(registered.status === 201, `register: ${registered.status}`);
  const login = await (await post('/auth/login', { email, password: 'a long password', device_name: 'dropbox-js' })).json();
  return { email, dbx: new Dropbox({ accessToken: login.access_token, fetch: localFetch }) };
}

const { email, dbx } = await account();
const text = Buffer.from('hello from the Dropbox JavaScript SDK\n');
let uploaded;

await check('users/get_current_account names the account', async () => {
  const { result } = await dbx.usersGetCurrentAccount();
  expect(result.email === email, `email ${result.email}`);
  expect(result.account_id.length === 40, `account_id ${result.account_id}`);
});
await check('files/upload answers FileMetadata with Dropbox\'s content_hash', async () => {
  ({ result: uploaded } = await dbx.filesUpload({ path: '/js/hello.txt', contents: text }));
  expect(uploaded.path_display === '/js/hello.txt', `path ${uploaded.path_display}`);
  expect(/^[0-9a-f]{32}$/.test(uploaded.rev), `rev ${uploaded.rev}`);
  expect(uploaded.content_hash === contentHash(text), `content_hash ${uploaded.content_hash}`);
  expect(uploaded.size === text.length, `size ${uploaded.size}`);
});
await check('files/download gives the bytes back, with the metadata of the Dropbox-API-Result header', async () => {
  const { result } = await dbx.filesDownload({ path: '/js/hello.txt' });
  expect(Buffer.from(result.fileBinary).equals(text), 'content differs');
  expect(result.rev === uploaded.rev && result.id === uploaded.id, `metadata ${JSON.stringify(result)}`);
});
await check('files/upload in add mode onto an existing file is a 409 path/conflict', async () => {
  const e = await rejection(dbx.filesUpload({ path: '/js/hello.txt', contents: Buffer.from('other'), mode: { '.tag': 'add' } }));
  expect(e.status === 409, `status ${e.status}`);
  expect(e.error.error_summary.startsWith('path/conflict/'), `summary ${e.error.error_summary}`);
});
await check('files/upload in update mode with a stale rev is a conflict; with the current rev it succeeds', async () => {
  const { result: second } = await dbx.filesUpload({
    path: '/js/hello.txt', contents: Buffer.from('second'), mode: { '.tag': 'update', update: uploaded.rev },
  });
  expect(second.rev !== uploaded.rev, 'same rev');
  const e = await rejection(dbx.filesUpload({
    path: '/js/hello.txt', contents: Buffer.from('third'), mode: { '.tag': 'update', update: uploaded.rev },
  }));
  expect(e.status === 409 && e.error.error_summary.includes('conflict'), `answer ${e.status} ${JSON.stringify(e.error)}`);
});
await check('an upload session of 9 MiB in three appends commits the bytes sent', async () => {
  const big = randomBytes(9 * 1024 * 1024);
  const third = 3 * 1024 * 1024;
  const { result: started } = await dbx.filesUploadSessionStart({ contents: big.subarray(0, third) });
  await dbx.filesUploadSessionAppendV2({ cursor: { session_id: started.session_id, offset: third }, contents: big.subarray(third, 2 * third) });
  const { result: file } = await dbx.filesUploadSessionFinish({
    cursor: { session_id: started.session_id, offset: 2 * third },
    commit: { path: '/js/big.bin', mode: { '.tag': 'add' } },
    contents: big.subarray(2 * third),
  });
  expect(file.size === big.length && file.content_hash === contentHash(big), `metadata ${JSON.stringify(file)}`);
});
await check('files/create_folder_v2, move_v2 and list_folder agree', async () => {
  await dbx.filesCreateFolderV2({ path: '/js/Folder' });
  await dbx.filesMoveV2({ from_path: '/js/hello.txt', to_path: '/js/Folder/hello.txt' });
  const { result } = await dbx.filesListFolder({ path: '/js', recursive: true });
  const paths = result.entries.map((e) => e.path_display);
  for (const want of ['/js/Folder', '/js/Folder/hello.txt', '/js/big.bin']) {
    expect(paths.includes(want), `${want} not in ${JSON.stringify(paths)}`);
  }
  expect(!paths.includes('/js/hello.txt'), `the moved file is still listed at its old path: ${JSON.stringify(paths)}`);
});
await check('files/list_folder/continue after a delete shows it deleted', async () => {
  const { result: latest } = await dbx.filesListFolderGetLatestCursor({ path: '/js', recursive: true });
  await dbx.filesDeleteV2({ path: '/js/big.bin' });
  const { result } = await dbx.filesListFolderContinue({ cursor: latest.cursor });
  expect(result.entries.some((e) => e['.tag'] === 'deleted' && e.path_lower === '/js/big.bin'), `entries ${JSON.stringify(result.entries)}`);
});
await check('files/list_folder/longpoll (no token, as the SDK sends it) wakes on a change', async () => {
  const { result: latest } = await dbx.filesListFolderGetLatestCursor({ path: '/js', recursive: true });
  const waiting = dbx.filesListFolderLongpoll({ cursor: latest.cursor, timeout: 30 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await dbx.filesUpload({ path: '/js/woken.txt', contents: Buffer.from('wake') });
  const { result } = await waiting;
  expect(result.changes === true, `answer ${JSON.stringify(result)}`);
});
await check('files/get_metadata of a missing path is a 409 path/not_found', async () => {
  const e = await rejection(dbx.filesGetMetadata({ path: '/js/missing.txt' }));
  expect(e.status === 409 && e.error.error_summary.startsWith('path/not_found/'), `answer ${e.status} ${JSON.stringify(e.error)}`);
});
await check('a bad token is a 401 invalid_access_token', async () => {
  const stranger = new Dropbox({ accessToken: 'not-a-token', fetch: localFetch });
  const e = await rejection(stranger.usersGetCurrentAccount());
  expect(e.status === 401 && e.error.error['.tag'] === 'invalid_access_token', `answer ${e.status} ${JSON.stringify(e.error)}`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
