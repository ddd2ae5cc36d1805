// The official openai npm package, unchanged, against a running Switchboard (src/test/node/run.sh
// starts one in front of a fake OpenAI-compatible upstream and passes BASE_URL and API_KEY).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';

const baseURL = process.env.BASE_URL;
const apiKey = process.env.API_KEY;
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });

test('lists the models the key may use', async () => {
  const models = [];
  for await (const model of client.models.list()) models.push(model.id);
  assert.deepEqual(models.sort(), ['bench', 'demo']);
});

test('answers a chat completion', async () => {
  const completion = await client.chat.completions.create({
    model: 'bench',
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  assert.equal(completion.choices[0].message.content, 'Hello from the fixed upstream.');
  assert.equal(completion.usage.total_tokens, 19);
});

test('streams a chat completion, with usage when asked', async () => {
  const stream = await client.chat.completions.create({
    model: 'bench',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Say hello' }],
  });
  let text = '';
  let usage;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, 'Hello from the fixed upstream.');
  assert.equal(usage.completion_tokens, 7);
});

test('streams a translated model (the demo model) and leaves out usage unless asked', async () => {
  const stream = await client.chat.completions.create({
    model: 'demo',
    stream: true,
    messages: [{ role: 'user', content: 'Hello demo' }],
  });
  let text = '';
  for await (const chunk of stream) {
    assert.equal(chunk.usage ?? null, null);
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.ok(text.length > 0);
});

test('reports an unknown model as the SDK’s NotFoundError', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] }),
    (error) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found',
  );
});

test('reports a wrong key as the SDK’s AuthenticationError', async () => {
  const stranger = new OpenAI({ baseURL, apiKey: 'sk-sb-wrong', maxRetries: 0 });
  await assert.rejects(stranger.models.list(), (error) => error instanceof OpenAI.AuthenticationError);
});
