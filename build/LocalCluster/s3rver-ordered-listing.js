// Preloaded into s3rver 3.7.1 by ./build.sh LocalCluster (node -r). s3rver lists a bucket by walking its
// directories in file-name order and pages by "keys after the last one returned". Where that walk order is not
// key order ("web/..." is walked before "web-b/...", which sorts first since '-' < '/'), a page boundary loses
// some keys and repeats others: measured with 1000+ keys. Walking in key order, as S3 lists, makes paging exact.
'use strict';
const path = require('path');

const utils = require(path.join(__dirname, 'app', 'node_modules', 's3rver', 'lib', 'utils.js'));
const walk = utils.walk; // recurses through its own name, so only the outermost call is replaced
const keyOf = file => file.replace(/\._S3rver_[^/]*$/, ''); // an object's files: <key>._S3rver_object, ...

utils.walk = function* walkInKeyOrder(dir, recurseFilter) {
  const files = [...walk(dir, recurseFilter)];
  files.sort((a, b) => {
    const x = keyOf(a);
    const y = keyOf(b);
    return x < y ? -1 : x > y ? 1 : 0; // the same comparison s3rver applies to start-after
  });
  yield* files;
};
