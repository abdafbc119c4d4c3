# coreutils timeout: statuses and messages (no network)
timeout 1 sleep 2; echo $?
timeout 2 sleep 1; echo $?
timeout -s INT 1 sleep 2; echo $?
timeout --preserve-status 1 sleep 2; echo $?
timeout 1 false; echo $?
timeout; echo $?
timeout 5; echo $?
timeout x y; echo $?
timeout 1 nosuchcmd; echo $?
timeout -s FOO 1 true; echo $?
timeout -z 1 true; echo $?
timeout 0 true; echo $?
mkdir /tmp/td-mk && mkdir -p /tmp/td-mk/a/b; echo $?
mkdir /tmp/td-mk; echo $?
mkdir; echo $?
echo x > /tmp/td-mk/a/b/f; cat /tmp/td-mk/a/b/f
rm /tmp/td-mk; echo $?
rm -r /tmp/td-mk; echo $?
cat /tmp/td-mk/a/b/f; echo $?
