// Drives @symblai/api-client 1.0.17 against a mock-symbl server: token, then every conversation GET it has.
// Usage: node api_client.js <baseUrl> <conversationId>; prints one JSON report line.
'use strict';
const SymblApi = require('@symblai/api-client');

const [base, conversationId] = process.argv.slice(2);
const api = new SymblApi.ApiClient();
api.basePath = base;

function call(fn) {
  return new Promise((resolve, reject) => fn((error, data, response) => (error ? reject(error) : resolve({ data, response }))));
}

(async () => {
  const auth = new SymblApi.AuthenticationApi(api);
  const token = await call((cb) => auth.generateToken({ type: 'application', appId: 'js-client', appSecret: 'js-secret' }, cb));
  api.authentications.jwt.apiKey = token.data.accessToken;
  const conversations = new SymblApi.ConversationsApi(api);
  const report = { expiresIn: token.data.expiresIn };
  for (const name of ['Conversation', 'Messages', 'Members', 'Questions', 'ActionItems', 'FollowUps', 'Topics', 'Insights', 'Intents']) {
    const method = name === 'Conversation' ? 'getConversationById' : `get${name}ByConversationId`;
    const { data, response } = await call((cb) => conversations[method](conversationId, cb));
    report[name] = { status: response.status, data };
  }
  try {
    await call((cb) => conversations.getMessagesByConversationId('0000000000000000', cb));
    report.unknown = 'no error';
  } catch (error) {
    report.unknown = error.status;
  }
  console.log(JSON.stringify(report));
})().catch((error) => {
  console.log(JSON.stringify({ error: String(error && (error.message || error)) }));
  process.exit(1);
});
