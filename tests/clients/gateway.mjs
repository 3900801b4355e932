// The gateway under test, shared by the SDK test files. The xunit test that runs them starts a gateway in front of the
// fake upstreams and set GATEHOUSE_URL; without it there is nothing to test against, so the files fail at once.

const url = process.env.GATEHOUSE_URL;
if (!url) {
  throw new Error(
    'GATEHOUSE_URL is not set. These tests need a running Gatehouse gateway in front of the fake upstreams ' +
      '(the xunit test that runs them starts one and sets it), e.g. GATEHOUSE_URL=http://127.0.0.1:41234 node --test tests/clients/',
  );
}

/** The gateway's base URL, without a trailing slash. */
export const gatewayUrl = url.replace(/\/+$/, '');

/** Settings every SDK client shares: any key works, no retries (they would hide failures), fail fast on a hang. */
export const clientOptions = { apiKey: 'test-key', maxRetries: 0, timeout: 15_000 };

/** How the fakes stream a reply: in three pieces of equal length (FakeOpenAi.Split), the last one shorter. */
export function thirds(text) {
  const size = Math.ceil(text.length / 3);
  const pieces = [];
  for (let i = 0; i < text.length; i += size) {
    pieces.push(text.slice(i, i + size));
  }

  return pieces;
}

/** Event names with runs of the same name collapsed to one: the shape of a stream, whatever its chunking. */
export function shape(names) {
  return names.filter((name, i) => name !== names[i - 1]);
}
