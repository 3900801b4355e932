// The official Anthropic SDK as a real client of Gatehouse: messages (plain, streamed, tools, thinking) and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { clientOptions, gatewayUrl, shape, thirds } from './gateway.mjs';

// The SDK appends /v1/messages itself.
const client = new Anthropic({ ...clientOptions, baseURL: gatewayUrl });

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

// What each fake answers, as an Anthropic client sees it. From OpenAI, the gateway reports prompt tokens without the
// 3 cached ones (11 - 3 = 8 input tokens) and those 3 as cache reads.
const providers = [
  {
    model: 'claude/claude-sonnet-4-5',
    says: 'Anthropic says: ',
    toolUseId: 'toolu_fake_1',
    usage: { input_tokens: 13, cache_creation_input_tokens: 1, cache_read_input_tokens: 2, output_tokens: 9 },
  },
  {
    model: 'openai/gpt-4o-mini',
    says: 'OpenAI says: ',
    toolUseId: 'call_fake_1',
    usage: { input_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 3, output_tokens: 7 },
  },
];

const streamShape = [
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
];

test('message to claude/claude-sonnet-4-5 returns the upstream answer as is', async () => {
  const message = await client.messages.create({
    model: 'claude/claude-sonnet-4-5',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'Hello' }],
  });

  assert.equal(message.type, 'message');
  assert.equal(message.id, 'msg_fake123');
  assert.equal(message.model, 'claude-sonnet-4-5');
  assert.deepEqual(message.content, [{ type: 'text', text: 'Anthropic says: Hello' }]);
  assert.equal(message.stop_reason, 'end_turn');
  assert.deepEqual(message.usage, providers[0].usage);
});

test('message to openai/gpt-4o-mini is translated from and to the Anthropic format', async () => {
  const message = await client.messages.create({
    model: 'openai/gpt-4o-mini',
    max_tokens: 100,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Hello' }],
  });

  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.model, 'gpt-4o-mini');
  assert.deepEqual(message.content, [{ type: 'text', text: 'OpenAI says: Hello' }]);
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.stop_sequence, null);
  assert.deepEqual(message.usage, providers[1].usage);
});

test('message to the built-in mock answers offline', async () => {
  const message = await client.messages.create({
    model: 'mock/gatehouse-mock-1',
    max_tokens: 100,
    messages: [{ role: 'user', content: 'Hello' }],
  });

  assert.equal(message.model, 'gatehouse-mock-1');
  assert.deepEqual(message.content, [{ type: 'text', text: 'Hello from the Gatehouse mock provider. You said: Hello' }]);
  assert.equal(message.stop_reason, 'end_turn');
});

for (const { model, says, toolUseId, usage } of providers) {
  test(`streamed message from ${model} arrives as the Anthropic event sequence`, async () => {
    const stream = client.messages.stream({ model, max_tokens: 100, messages: [{ role: 'user', content: 'Stream please' }] });
    const events = [];
    const deltas = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    stream.on('text', (delta) => deltas.push(delta));
    const message = await stream.finalMessage();

    assert.deepEqual(shape(events), streamShape);
    assert.deepEqual(deltas, thirds(`${says}Stream please`));
    assert.deepEqual(message.content, [{ type: 'text', text: `${says}Stream please` }]);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(message.usage, usage);
  });

  test(`tool use from ${model}, then the tool result turn`, async () => {
    const question = { role: 'user', content: 'Weather in Paris?' };
    const first = await client.messages.create({
      model,
      max_tokens: 100,
      tools: [weatherTool],
      tool_choice: { type: 'any' },
      messages: [question],
    });

    assert.equal(first.stop_reason, 'tool_use');
    assert.deepEqual(first.content, [{ type: 'tool_use', id: toolUseId, name: 'get_weather', input: { city: 'Paris' } }]);

    const second = await client.messages.create({
      model,
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: toolUseId, content: '18C and sunny' },
            { type: 'text', text: 'Thanks' },
          ],
        },
      ],
    });

    assert.equal(second.stop_reason, 'end_turn');
    assert.deepEqual(second.content, [{ type: 'text', text: `${says}Thanks` }]);
  });

  test(`streamed tool use from ${model} accumulates the input JSON`, async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 100,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const fragments = [];
    stream.on('inputJson', (fragment) => fragments.push(fragment));
    const message = await stream.finalMessage();

    assert.deepEqual(fragments.filter(Boolean), ['{"city":', '"Paris"}']);
    assert.equal(message.stop_reason, 'tool_use');
    assert.deepEqual(message.content, [{ type: 'tool_use', id: toolUseId, name: 'get_weather', input: { city: 'Paris' } }]);
  });
}

test('signed thinking survives a round trip: the fake rejects any other signature', async () => {
  const thinking = { type: 'enabled', budget_tokens: 1024 };
  const first = await client.messages.create({
    model: 'claude/claude-sonnet-4-5',
    max_tokens: 2000,
    thinking,
    messages: [{ role: 'user', content: 'Think' }],
  });

  assert.deepEqual(first.content, [
    { type: 'thinking', thinking: 'Let me think.', signature: 'sig-anthropic-1' },
    { type: 'text', text: 'Anthropic says: Think' },
  ]);

  const second = await client.messages.create({
    model: 'claude/claude-sonnet-4-5',
    max_tokens: 2000,
    thinking,
    messages: [
      { role: 'user', content: 'Think' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'Again' },
    ],
  });

  assert.equal(second.stop_reason, 'end_turn');
  assert.equal(second.content.at(-1).text, 'Anthropic says: Again');
});

test('streamed thinking carries the signature, and the streamed turn can be sent back', async () => {
  const thinking = { type: 'enabled', budget_tokens: 1024 };
  const stream = client.messages.stream({
    model: 'claude/claude-sonnet-4-5',
    max_tokens: 2000,
    thinking,
    messages: [{ role: 'user', content: 'Think' }],
  });
  const signatures = [];
  stream.on('signature', (signature) => signatures.push(signature));
  const first = await stream.finalMessage();

  assert.deepEqual(signatures, ['sig-anthropic-1']);
  assert.deepEqual(first.content, [
    { type: 'thinking', thinking: 'Let me think.', signature: 'sig-anthropic-1' },
    { type: 'text', text: 'Anthropic says: Think' },
  ]);

  const second = await client.messages.create({
    model: 'claude/claude-sonnet-4-5',
    max_tokens: 2000,
    thinking,
    messages: [
      { role: 'user', content: 'Think' },
      { role: 'assistant', content: first.content },
      { role: 'user', content: 'Again' },
    ],
  });

  assert.equal(second.content.at(-1).text, 'Anthropic says: Again');
});

test('an unknown model is a NotFoundError of type not_found_error', async () => {
  await assert.rejects(
    client.messages.create({ model: 'nope/none', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }),
    (error) => {
      assert.ok(error instanceof Anthropic.NotFoundError, `expected NotFoundError, got ${error}`);
      assert.equal(error.status, 404);
      assert.equal(error.type, 'not_found_error');
      assert.equal(error.error.type, 'error');
      assert.equal(error.error.error.type, 'not_found_error');
      assert.match(error.headers.get('x-request-id'), /^req_/);
      return true;
    },
  );
});

test('a request without max_tokens is a BadRequestError', async () => {
  await assert.rejects(
    client.messages.create({ model: 'claude/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] }),
    (error) => {
      assert.ok(error instanceof Anthropic.BadRequestError, `expected BadRequestError, got ${error}`);
      assert.equal(error.status, 400);
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.apiMessage, /max_tokens/);
      return true;
    },
  );
});
