f=archive.tar.gz
echo ${f#*.} ${f##*.} ${f%.*} ${f%%.*} ${f#nomatch} ${f%z}
p=/sys/class/net/veth0/mtu
echo ${p##*/} ${p%/*} ${p/net/NET} ${p//\//:} 
s=hello
echo ${s:1} ${s:1:3} ${s: -2} ${s:0:-1} ${#s}
echo ${UNSET:-$HOME/x} "${UNSET:-a b}" ${s/l*/L}
v="a-b-c"; echo ${v//-/ }
