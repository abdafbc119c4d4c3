break
echo $?
for i in 1 2; do break 0; done; echo $?
[ 1 -eq 1 ]; echo $?
[ a = b ]; echo $?
[ -z "" ]; echo $?
[ ; echo $?
[ 1 -eq a ]; echo $?
test; echo $?
[ a ]; echo $?
[ a b ]; echo $?
[ ! a ]; echo $?
[ 1 -lt 2 -a 2 -gt 1 ]; echo $?
[ x -foo y ]; echo $?
[ \( a = a \) -o b = c ]; echo $?
[ -d /proc ] && [ -f /etc/hosts ] && [ ! -e /nonexistent ]; echo $?
if true; then echo y; fi; if false; then echo n; elif true; then echo e; else echo x; fi
for i in a b; do echo $i; done
n=0; while [ $n -lt 3 ]; do n=$((n+1)); echo $n; done
until [ $n -eq 0 ]; do n=$((n-1)); done; echo n=$n
for i in 1 2 3; do for j in a b c; do [ $j = b ] && continue; [ $i = 2 ] && break 2; echo $i$j; done; done
for f in /etc/hostnam*; do echo $f; done
if [ -d /etc ]
then
  echo multi-line if
fi
for x
do
  echo never
done
echo "loop status $?"
while false; do :; done; echo $?
if false; then :; fi; echo $?
for i in 1; do false; done; echo $?
