// The official OpenAI SDK as a real client of Gatehouse: chat (plain, streamed, tools), errors, embeddings, models.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { clientOptions, gatewayUrl, thirds } from './gateway.mjs';

const client = new OpenAI({ ...clientOptions, baseURL: `${gatewayUrl}/v1` });

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

// What each fake answers, as an OpenAI client sees it. The usage chunk of a stream is the upstream's own for OpenAI
// and the gateway's translation for Anthropic: 13 input + 2 cache read + 1 cache write prompt tokens, 2 of them cached.
const providers = [
  {
    model: 'openai/gpt-4o-mini',
    says: 'OpenAI says: ',
    toolCallId: 'call_fake_1',
    streamUsage: { prompt_tokens: 11, completion_tokens: 7, total_tokens: 18, prompt_tokens_details: { cached_tokens: 3 } },
  },
  {
    model: 'claude/claude-sonnet-4-5',
    says: 'Anthropic says: ',
    toolCallId: 'toolu_fake_1',
    streamUsage: {
      prompt_tokens: 16,
      completion_tokens: 9,
      total_tokens: 25,
      prompt_tokens_details: { cached_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  },
];

test('chat to openai/gpt-4o-mini returns the upstream answer as is', async () => {
  const completion = await client.chat.completions.create({
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'Hello' }],
  });

  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.model, 'gpt-4o-mini');
  assert.equal(completion.choices.length, 1);
  assert.equal(completion.choices[0].message.content, 'OpenAI says: Hello');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.deepEqual(completion.usage, {
    prompt_tokens: 11,
    completion_tokens: 7,
    total_tokens: 18,
    prompt_tokens_details: { cached_tokens: 3 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
});

test('chat to claude/claude-sonnet-4-5 is translated from and to the OpenAI format', async () => {
  const completion = await client.chat.completions.create({
    model: 'claude/claude-sonnet-4-5',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello' },
    ],
  });

  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.model, 'claude-sonnet-4-5');
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(completion.choices[0].message.content, 'Anthropic says: Hello');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.deepEqual(completion.usage, {
    prompt_tokens: 16,
    completion_tokens: 9,
    total_tokens: 25,
    prompt_tokens_details: { cached_tokens: 2 },
    completion_tokens_details: { reasoning_tokens: 0 },
  });
});

test('chat to the built-in mock answers offline', async () => {
  const completion = await client.chat.completions.create({
    model: 'mock/gatehouse-mock-1',
    messages: [{ role: 'user', content: 'Hello' }],
  });

  assert.equal(completion.model, 'gatehouse-mock-1');
  assert.equal(completion.choices[0].message.content, 'Hello from the Gatehouse mock provider. You said: Hello');
  assert.equal(completion.choices[0].finish_reason, 'stop');
});

for (const { model, says, streamUsage } of providers) {
  test(`streamed chat from ${model} arrives delta by delta, without usage the client did not ask for`, async () => {
    const stream = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Stream please' }] });
    const deltas = [];
    stream.on('content', (delta) => deltas.push(delta));
    const completion = await stream.finalChatCompletion();

    assert.deepEqual(deltas, thirds(`${says}Stream please`));
    assert.equal(completion.choices[0].message.content, `${says}Stream please`);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.equal(completion.usage, undefined);
  });

  test(`streamed chat from ${model} with include_usage ends with a usage chunk`, async () => {
    const stream = await client.chat.completions.create({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Count me' }],
    });
    const chunks = [];
    for await (const chunk of stream) {
      chunks.push(chunk);
    }

    assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'));
    const text = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? '')).join('');
    assert.equal(text, `${says}Count me`);
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, streamUsage);
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.usage == null));
  });
}

for (const { model, toolCallId } of providers) {
  test(`tool call from ${model}, not streamed`, async () => {
    const completion = await client.chat.completions.create({
      model,
      tools: [weatherTool],
      tool_choice: 'required',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });

    const choice = completion.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    assert.deepEqual(choice.message.tool_calls, [
      { id: toolCallId, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  test(`tool call from ${model}, streamed as argument deltas`, async () => {
    const stream = client.chat.completions.stream({
      model,
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const fragments = [];
    stream.on('tool_calls.function.arguments.delta', (event) => fragments.push(event.arguments_delta));
    const completion = await stream.finalChatCompletion();

    assert.deepEqual(fragments.filter(Boolean), ['{"city":', '"Paris"}']);
    assert.equal(fragments.join(''), '{"city":"Paris"}');
    const choice = completion.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.tool_calls.length, 1);
    assert.equal(choice.message.tool_calls[0].id, toolCallId);
    assert.equal(choice.message.tool_calls[0].function.name, 'get_weather');
    assert.equal(choice.message.tool_calls[0].function.arguments, '{"city":"Paris"}');
  });
}

test('a tool conversation continues on claude after the tool result', async () => {
  const messages = [{ role: 'user', content: 'Weather in Paris?' }];
  const first = await client.chat.completions.create({
    model: 'claude/claude-sonnet-4-5',
    tools: [weatherTool],
    tool_choice: 'required',
    messages,
  });
  const call = first.choices[0].message.tool_calls[0];
  messages.push(first.choices[0].message);
  messages.push({ role: 'tool', tool_call_id: call.id, content: '18C and sunny' });

  // The fake Anthropic checks that every tool_result answers an earlier tool_use, and that roles alternate.
  const second = await client.chat.completions.create({ model: 'claude/claude-sonnet-4-5', tools: [weatherTool], messages });

  assert.equal(second.choices[0].finish_reason, 'stop');
  // The fake echoes the latest user turn that has text; the newest user turn holds only the tool result.
  assert.equal(second.choices[0].message.content, 'Anthropic says: Weather in Paris?');
});

test('withResponse exposes the gateway headers: which provider and model served, after how many attempts', async () => {
  const { data, response, request_id } = await client.chat.completions
    .create({ model: 'smart', messages: [{ role: 'user', content: 'Who serves?' }] })
    .withResponse();

  assert.equal(data.choices[0].message.content, 'OpenAI says: Who serves?');
  assert.equal(response.status, 200);
  assert.match(request_id, /^req_/);
  assert.equal(response.headers.get('x-request-id'), request_id);
  assert.equal(response.headers.get('x-gatehouse-provider'), 'openai');
  assert.equal(response.headers.get('x-gatehouse-model'), 'gpt-4o-mini');
  assert.equal(response.headers.get('x-gatehouse-attempts'), '1');
});

test('asResponse gives the raw streamed response of a virtual model, headers included', async () => {
  const response = await client.chat.completions
    .create({ model: 'sturdy', stream: true, messages: [{ role: 'user', content: 'Raw' }] })
    .asResponse();

  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.match(response.headers.get('x-request-id'), /^req_/);
  assert.equal(response.headers.get('x-gatehouse-provider'), 'claude');
  assert.equal(response.headers.get('x-gatehouse-model'), 'claude-sonnet-4-5');
  assert.equal(response.headers.get('x-gatehouse-attempts'), '1');
  const body = await response.text();
  assert.ok(body.endsWith('data: [DONE]\n\n'), body);
});

test('an unknown model is a NotFoundError with code model_not_found', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'nope/none', messages: [{ role: 'user', content: 'Hi' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.NotFoundError, `expected NotFoundError, got ${error}`);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'model_not_found');
      assert.equal(error.type, 'invalid_request_error');
      assert.match(error.requestID, /^req_/);
      return true;
    },
  );
});

test('an empty message list is a BadRequestError naming the parameter', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [] }), (error) => {
    assert.ok(error instanceof OpenAI.BadRequestError, `expected BadRequestError, got ${error}`);
    assert.equal(error.status, 400);
    assert.equal(error.type, 'invalid_request_error');
    assert.equal(error.param, 'messages');
    return true;
  });
});

test('embeddings of two inputs, as floats', async () => {
  const result = await client.embeddings.create({
    model: 'openai/text-embedding-3-small',
    input: ['first', 'second'],
    encoding_format: 'float',
  });

  assert.equal(result.object, 'list');
  assert.equal(result.model, 'text-embedding-3-small');
  assert.deepEqual(
    result.data.map((item) => [item.index, item.embedding]),
    [
      [0, [0.1, 0.2, 0.3]],
      [1, [0.2, 0.4, 0.6]],
    ],
  );
  assert.deepEqual(result.usage, { prompt_tokens: 5, total_tokens: 5 });
});

test('embeddings in the SDK default base64 format decode to the same vectors in float32', async () => {
  const result = await client.embeddings.create({ model: 'openai/text-embedding-3-small', input: ['first', 'second'] });

  assert.deepEqual(
    result.data.map((item) => item.embedding),
    [Array.from(Float32Array.of(0.1, 0.2, 0.3)), Array.from(Float32Array.of(0.2, 0.4, 0.6))],
  );
});

test('the model list names virtual models and the mock', async () => {
  const ids = [];
  for await (const model of client.models.list()) {
    assert.equal(model.object, 'model');
    ids.push(model.id);
  }

  assert.ok(ids.includes('smart'), `no "smart" in ${ids.length} models`);
  assert.ok(ids.includes('sturdy'), `no "sturdy" in ${ids.length} models`);
  assert.ok(ids.includes('mock/gatehouse-mock-1'), `no "mock/gatehouse-mock-1" in ${ids.length} models`);
});
