echo before
cat <<END
no end
