// Starts dynalite (npm, MIT), installed under the folder given first, on the port given
// second (default 4567), as its own command line does, with one difference: a client that
// closes its connection before dynalite has answered does not end the process. dynalite
// throws from the request's 'error' handler (ECONNRESET, "aborted"); a test that kills a
// process in the middle of a request (a node, a Lambda container) would otherwise take the
// table from every test after it. DynamoDB itself just drops such a request.
//
//   node .ci/dynalite.js /tmp/dynalite 4567 &
const path = require('path')
const dynalite = require(path.join(path.resolve(process.argv[2]), 'node_modules', 'dynalite'))
const port = Number(process.argv[3] || 4567)

process.on('uncaughtException', (error) => {
  if (error && (error.code === 'ECONNRESET' || error.message === 'aborted')) {
    console.error('dynalite: a client went away before its answer (%s); carrying on', error.message)
    return
  }
  console.error(error)
  process.exit(1)
})

const server = dynalite({}).listen(port, () => {
  console.log('Dynalite listening at: http://localhost:%s', server.address().port)
})
