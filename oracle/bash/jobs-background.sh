# background jobs in a script: $!, jobs, wait for a job, a pid, all; kill by job and pid.
# Sleeps keep each step clear of races (a job's end against the shell's next line).
sleep 2 &
echo "pid set: ${!:+yes}"
jobs
jobs -p | wc -l
jobs -l | wc -w
sleep 0.5 &
jobs
wait %2
echo "wait %2: $?"
jobs
kill %1
echo "kill: $?"
sleep 0.1
wait %1
echo "wait %1: $?"
jobs
(exit 7) &
wait $!
echo "wait pid: $?"
false &
sleep 0.1
wait $!
echo "wait reaped pid: $?"
false &
true &
sleep 0.1
wait
echo "wait all: $?"
jobs
sleep 5 &
kill -INT %3
sleep 0.2
jobs
kill -KILL %3
sleep 0.2
echo after kill
jobs
wait %3
echo "wait %3: $?"
sleep 3 &
kill -TERM $!
sleep 0.2
jobs
wait 99999
echo "wait 99999: $?"
kill 99999
echo "kill 99999: $?"
kill %9
kill -s
kill -n 99 %1
kill abc
wait abc
echo "wait abc: $?"
fg
echo "fg: $?"
bg
kill -l | head -3
kill -l 15 143 HUP sigint
kill -l 200
kill -nosuch %1
kill
echo "kill: $?"
jobs -q
echo "jobs -q: $?"
