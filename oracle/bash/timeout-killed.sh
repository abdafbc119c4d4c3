# a command killed by SIGKILL: a script reports it ("line N: PID Killed  cmd"), the PID masked
# by BashScriptsTest; SIGTERM, SIGINT and other signals timeout sends it catches itself (124)
timeout -s KILL 0.2 sleep 5
echo "st $?"
timeout 0.2 sleep 5
echo "st $?"
timeout -s INT 0.2 sleep 5
echo "st $?"
timeout -s HUP 0.2 sleep 5
echo "st $?"
timeout -s KILL 0.2 sleep 5 | cat
echo "st $?"
(timeout -s KILL 0.2 sleep 5) | cat
echo "st $?"
( timeout -s KILL 0.2 sleep 5 )
echo "st $?"
( timeout -s KILL 0.2 sleep 5; echo sub )
echo "st $?"
x=$(timeout -s KILL 0.2 sleep 5)
echo "st $? $x"
x=$(timeout -s KILL 0.2 sleep 5; echo hi)
echo "st $? $x"
{ timeout -s KILL 0.2 sleep 5; }
echo "st $?"
if timeout -s KILL 0.2 sleep 5; then :; fi
echo "st $?"
timeout -s KILL 0.2 sleep 5 || echo or
timeout -k 0.1 0.1 sleep 5
echo "st $?"
f() { timeout -s KILL 0.2 sleep 5; }
f
echo "st $?"
