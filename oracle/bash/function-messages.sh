# a script's messages from inside a function name the function's BASH_SOURCE: the script,
# main (read from standard input) or environment (bash -c); outside functions as before
f() {
  kill %9
  nosuchcommand
}
f
kill %9
g() { f; cd /nonexistent; }
g
echo "done $?"
