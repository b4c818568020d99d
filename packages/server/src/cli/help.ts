export const HELP = `Usage: nagare <command> [options]

Commands:
  serve [--port 8080] [--host 0.0.0.0] [--data-dir ./data]
                          Migrate the database, then serve the web app and API
  migrate [--data-dir ./data]
                          Apply pending database migrations, then exit
  create-admin --email <address> --name <name> [--workspace default]
                          Create a workspace's first system administrator (password from NAGARE_ADMIN_PASSWORD)
  validate <file.bpmn>... Check BPMN files; prints file:line: severity CODE [elementId] message
  convert [--lenient] <in.bpmn> <out.bpmn>
                          Read a BPMN file and write it back normalized (nothing written on errors)

Options:
  -h, --help              Show this help (also: nagare <command> --help)
  -v, --version           Print the version

Environment:
  DATABASE_URL            postgres://user:password@host:5432/db (PostgreSQL); unset: SQLite in the data dir
  NAGARE_LOG_LEVEL        fatal, error, warn (default), info, debug, trace

Exit codes: 0 ok, 1 failed (invalid BPMN, database error), 2 usage or file error.
`;
