"""An object literal's method is code, not data: fastify's tests pass `Fastify({ rewriteUrl (req) {
t.assert.strictEqual(req.url, '/x'); return '/' } })` and then fetch their own server's address; the method body's
calls were merged into the object's value, so the request's URL seemed to reach fetch (4 high SSRF). Request data in
a property's value, or fetched inside a handler, stays high."""
from __future__ import annotations

from severity_lines import by_line

TESTS = ("const Fastify = require('fastify')\n"
         "test('rewrite', async t => {\n"
         "  const fastify = Fastify({\n"
         "    rewriteUrl (req) {\n"
         "      t.assert.strictEqual(req.url, '/this-would-404')\n"
         "      return '/'\n"
         "    }\n"
         "  })\n"
         "  const server = await fastify.listen({ port: 0 })\n"
         "  const result = await fetch(`${server}/this-would-404`)\n"
         "})\n")

SERVER = ("const fastify = require('fastify')()\n"
          "fastify.get('/proxy', async (req, reply) => {\n"
          "  const opts = { target: req.query.url, log (msg) { console.log(msg) } }\n"
          "  const res = await fetch(opts.target)\n"
          "  const again = await fetch(req.query.next)\n"
          "  return res.text()\n"
          "})\n")


def test_a_method_of_an_object_literal_does_not_carry_its_body_into_the_object():
    assert by_line("js-ssrf-url-from-request-input", TESTS, "test/url.test.js") == {}


def test_request_data_in_a_property_or_fetched_by_a_handler_stays_high():
    assert by_line("js-ssrf-url-from-request-input", SERVER, "server.js") == {4: "high", 5: "high"}
