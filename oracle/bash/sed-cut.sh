printf 'PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.045 ms\n64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=0.051 ms\n' > p
sed 's/time=.*/time=X/' p
sed -n '2p' p
sed -n '/icmp_seq=2/p' p
sed '1d' p
sed '$d' p
sed -n '$p' p
sed 's/64/sixty-four/g' p
sed 's/64/sixty-four/2' p
sed -e 's/PING/ping/' -e '2,3d' p
sed 's/ttl=\([0-9]*\)/TTL is \1/' p
sed -E 's/ttl=([0-9]+)/TTL is \1/' p
sed -r 's/(icmp_seq)=([0-9])/\2:\1/' p
sed 's/bytes/[&]/' p
sed 's|10.0.0.2|host|g' p
sed '2q' p
sed -n '/^64/{s/ ms$//;p}' p
sed '/^PING/!d' p
sed 's/a/b/; s/b/c/' p | head -1
sed = p | head -4
sed 'y/abc/ABC/' p | head -1
sed '1i header' p | head -2
sed '1a after' p | head -3
sed 's/[[:digit:]]\+/N/g' p
sed -n 's/.*ttl=\([0-9]*\).*/\1/p' p
cp_text=$(sed -n 1p p); echo "$cp_text"
sed 's/x/y' p; echo $?
sed 'k' p; echo $?
sed -n p nosuch; echo $?
sed -i 's/PING/Ping/' p; head -1 p
echo 'a.b.c' | sed 's/\./-/g'
echo 'hello' | sed 's/l*/X/g'
echo 'aaa' | sed 's/a/b/3'
printf 'no newline' | sed 's/no/yes/'
echo
echo 'eth0: 10.0.0.1/24' | cut -d' ' -f2
echo 'eth0: 10.0.0.1/24' | cut -d' ' -f2 | cut -d/ -f1
echo 'a:b:c:d' | cut -d: -f2-
echo 'a:b:c:d' | cut -d: -f1,3
echo 'a:b:c:d' | cut -d: -f-2
echo 'abcdef' | cut -c2-4
echo 'abcdef' | cut -c1,3,5
echo 'nodelim' | cut -d: -f2
echo 'nodelim' | cut -s -d: -f2
printf 'a\tb\tc\n' | cut -f2
echo 'a:b:c' | cut -d: -f2 --output-delimiter=,
echo 'a:b:c' | cut -d: -f1,3 --output-delimiter=' '
cut -d: -f1 nosuch; echo $?
echo x | cut; echo $?
echo x | cut -f0; echo $?
echo x | cut -d:: -f1; echo $?
echo x | cut -c1 -d:; echo $?
echo x | cut -f a; echo $?
echo 'a b' | cut -d ' ' -f 3
rm -f p
