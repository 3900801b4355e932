// Preloaded into the Portkey gateway by bench/load/run.sh (node --require). Portkey's start-server calls
// server.listen(port, undefined, cb), which binds every interface; this makes a listen without a host bind
// 127.0.0.1 only, so the benchmark stays on loopback. Nothing else is changed.
'use strict';
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (args[1] === undefined || args[1] === null) {
      args[1] = '127.0.0.1';
    } else if (typeof args[1] === 'function') {
      args.splice(1, 0, '127.0.0.1');
    }
  } else if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && !args[0].host && !args[0].path) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
